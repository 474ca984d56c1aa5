-- wrk script for bench/load.sh: each request is the next of a mix of page and API calls
-- (searches with and without filters, facet tables, the page itself), and any answer that
-- is not 200 is counted and printed at the end.
local paths = {
  "/api/search?q=%E4%BD%8E%E7%A9%BA%E7%BB%8F%E6%B5%8E",                                 -- 低空经济
  "/api/search?q=%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B&province=%E5%B9%BF%E4%B8%9C", -- 新质生产力 广东
  "/api/search?q=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD+OR+AI&sort=date&limit=20",         -- 人工智能 OR AI
  "/api/search?q=%22%E4%BA%A7%E4%B8%9A%E9%9B%86%E7%BE%A4%22&from=2024",                 -- "产业集群"
  "/api/facets?q=%E7%BB%8F%E6%B5%8E&by=province,month",                                  -- 经济 by province, month
  "/?q=%E4%BD%8E%E7%A9%BA%E7%BB%8F%E6%B5%8E&province=%E5%B9%BF%E4%B8%9C",               -- the page
  "/api/search?q=%E6%B7%B1%E5%9C%B3+%E6%97%A0%E4%BA%BA%E6%9C%BA",                       -- 深圳 无人机
  "/api/health",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests: %d in %.1fs (%.0f/s)\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-200 %d\n",
    errors.connect, errors.read, errors.write, errors.timeout, summary.errors.status))
end
