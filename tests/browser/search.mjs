// The search page in a real browser (Debian's Chromium, driven by playwright-core):
// search for 低空经济, see highlighted results, click the 广东 facet, see the results narrow,
// download the CSV of the narrowed search, switch the time chart to shares, open the KWIC
// tab, open an article, come back with the back button; screenshots go to SHOT_DIR.
// Run by tests/browser.rs, which starts the server and passes BASE_URL, and by
// tests/cluster.rs against `serve --engine URL`: the same checks.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.env.BASE_URL;
const shots = process.env.SHOT_DIR ?? "target/browser";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!base) throw new Error("set BASE_URL to the running server, e.g. http://127.0.0.1:7700");
mkdirSync(shots, { recursive: true });

function check(ok, what) {
  if (!ok) throw new Error(`browser check failed: ${what}`);
  console.log(`ok - ${what}`);
}

const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(base + "/");
  await page.fill('form.search input[name="q"]', "低空经济");
  await Promise.all([page.waitForURL(/q=/), page.press('form.search input[name="q"]', "Enter")]);
  const total = Number(await page.textContent("#total"));
  check(total > 1, `searching 低空经济 finds ${total} articles`);
  const marks = await page.locator(".snippet b").allTextContents();
  check(marks.length > 0 && marks.every((m) => /低空[经經][济濟]/.test(m)),
    `snippets highlight the query (${marks.length} marks)`);
  check(await page.locator("svg.chart.time rect").count() > 0, "the month chart has bars");
  await page.screenshot({ path: `${shots}/search.png`, fullPage: true });

  const facet = page.locator('.facet[data-facet="province"] a[data-value="广东"]');
  check(await facet.count() === 1, "the sidebar offers 广东");
  const searchUrl = page.url();
  await Promise.all([page.waitForURL(/province=/), facet.click()]);
  const narrowed = Number(await page.textContent("#total"));
  check(narrowed > 0 && narrowed < total, `clicking 广东 narrows ${total} -> ${narrowed}`);
  check(await page.locator('.facet[data-facet="province"] a.on[data-value="广东"]').count() === 1,
    "广东 shows as selected");
  const tags = await page.locator(".hit .meta").allTextContents();
  check(tags.every((t) => t.includes("广东")), "every narrowed hit is tagged 广东");
  const narrowedUrl = page.url();
  await page.screenshot({ path: `${shots}/narrowed.png`, fullPage: true });

  // The 下载 CSV link gives every match of the narrowed search, with a header.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("a.download").click(),
  ]);
  const name = download.suggestedFilename();
  check(/^低空经济-\d{4}-\d{2}-\d{2}\.csv$/.test(name), `the download is named after the query and the day (${name})`);
  const csvPath = await download.path();
  const { readFileSync } = await import("node:fs");
  const csv = readFileSync(csvPath, "utf8").replace(/^\uFEFF/, "");
  const rows = csv.trim().split("\n").filter((l) => /^[^,]+#\d+,/.test(l));
  check(csv.startsWith("id,") && rows.length === narrowed,
    `the downloaded CSV has a header and ${rows.length} rows for ${narrowed} matches`);

  // The time chart as each month's share of its articles.
  await Promise.all([page.waitForURL(/chart=share/), page.locator(".chart-controls a", { hasText: "占当月比例" }).click()]);
  const shareTitles = await page.locator("svg.chart.time rect title").allTextContents();
  check(shareTitles.length > 0 && shareTitles.every((t) => /占当月 [\d.]+[%‰]/.test(t)),
    `the time chart shows shares (${shareTitles[0]})`);
  check(Number(await page.textContent("#total")) === narrowed, "switching the chart keeps the search");

  // The KWIC tab: a line per occurrence, the match in the middle.
  await Promise.all([page.waitForURL(/\/kwic/), page.locator("nav.tabs a", { hasText: "语境" }).click()]);
  const matches = await page.locator("table b").allTextContents();
  check(matches.length > 0 && matches.every((m) => /低空[经經][济濟]/.test(m)),
    `the KWIC tab lists ${matches.length} occurrences of the query`);
  await page.screenshot({ path: `${shots}/kwic.png`, fullPage: true });
  await page.goBack();
  await page.goBack();
  check(page.url() === narrowedUrl, "back from the KWIC tab and the share chart to the narrowed search");

  // 整词匹配: only whole words count, and the page says how it counted.
  await Promise.all([page.waitForURL(/words=1/), page.locator("#words").click()]);
  const whole = Number(await page.textContent("#total"));
  check(whole > 0 && whole <= narrowed && (await page.textContent("p.stats")).includes("按整词"),
    `整词匹配 counts ${whole} of ${narrowed} and says so`);
  await page.goBack();

  const first = page.locator(".hit h2 a").first();
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/article\//), first.click()]);
  check((await page.textContent("h1")).trim() === title, `the article page shows 「${title}」`);
  check(await page.locator(".article .body b").count() > 0, "the article highlights the query");
  await page.screenshot({ path: `${shots}/article.png`, fullPage: true });

  await page.goBack();
  check(page.url() === narrowedUrl, "the back button returns to the narrowed search");
  await page.goBack();
  check(page.url() === searchUrl, "and once more to the first search");

  // A mistake in the query is explained in Chinese, whatever the API says in English.
  await page.goto(base + "/");
  await page.fill('form.search input[name="q"]', '"香港 -台湾');
  await Promise.all([page.waitForURL(/q=/), page.press('form.search input[name="q"]', "Enter")]);
  const advice = (await page.textContent(".error")) || "";
  check(advice.includes("引号没有闭合") && !/[a-z]{4,}/.test(advice),
    `an unclosed quote gets Chinese advice (${advice.trim()})`);

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(narrowedUrl);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `no sideways scrolling at phone width (${width}px)`);
  await phone.screenshot({ path: `${shots}/phone.png`, fullPage: false });

  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
} finally {
  await browser.close();
}
