// The Lucene peer of bench/run.py: Debian's Lucene 8.7 (liblucene8-java), indexing the same
// files and running the same text queries, with SmartChineseAnalyzer (word segmentation) or
// CJKAnalyzer (overlapping bigrams).
//
//   java LuceneBench index smartcn|cjk CORPUS_DIR INDEX_DIR THREADS
//   java LuceneBench query smartcn|cjk INDEX_DIR QUERIES_TSV RUNS WARMUP
//
// index prints one JSON line {docs, bytes, seconds}; query prints one JSON line per query
// {class, query, total, median_ms, p99_ms}. A query is timed as exact count + top 10 with
// their stored text loaded, the closest match to what corpus-search does per query.
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.stream.*;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
    static Analyzer analyzer(String name) {
        switch (name) {
            case "smartcn": return new SmartChineseAnalyzer();
            case "cjk": return new CJKAnalyzer();
            default: throw new IllegalArgumentException("analyzer is smartcn or cjk, not " + name);
        }
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("index ... or query ...");
        if (args[0].equals("index")) index(args[1], Paths.get(args[2]), Paths.get(args[3]), Integer.parseInt(args[4]));
        else query(args[1], Paths.get(args[2]), Paths.get(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    }

    static void index(String an, Path corpus, Path out, int threads) throws Exception {
        long start = System.nanoTime();
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer(an));
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        cfg.setRAMBufferSizeMB(256);
        long bytes = 0;
        try (IndexWriter w = new IndexWriter(FSDirectory.open(out), cfg)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Long>> done = new ArrayList<>();
            int per = (files.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<Path> part = files.subList(Math.min(files.size(), t * per), Math.min(files.size(), (t + 1) * per));
                done.add(pool.submit(() -> {
                    long n = 0;
                    for (Path p : part) {
                        byte[] raw = Files.readAllBytes(p);
                        n += raw.length;
                        String text = new String(raw, StandardCharsets.UTF_8);
                        Document d = new Document();
                        d.add(new StringField("path", p.toString(), Field.Store.YES));
                        d.add(new TextField("body", text, Field.Store.YES));
                        w.addDocument(d);
                    }
                    return n;
                }));
            }
            for (Future<Long> f : done) bytes += f.get();
            pool.shutdown();
            w.forceMerge(1);
            w.commit();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("{\"docs\": %d, \"bytes\": %d, \"seconds\": %.3f}%n", files.size(), bytes, secs);
    }

    static void query(String an, Path dir, Path list, int runs, int warmup) throws Exception {
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            QueryParser parser = new QueryParser("body", analyzer(an));
            parser.setDefaultOperator(QueryParser.Operator.AND);
            // A word the analyzer cuts in pieces must still match as one word (a phrase), as
            // corpus-search and a reader expect; without this CJK bigrams would be ORed.
            parser.setSplitOnWhitespace(true);
            parser.setAutoGeneratePhraseQueries(true);
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cols = line.split("\t");
                if (cols.length > 2 && !cols[2].isBlank()) continue; // facet filters: ours only
                Query q = parser.parse(cols[1]);
                int total = 0;
                for (int i = 0; i < warmup; i++) total = once(searcher, q);
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    total = once(searcher, q);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("{\"class\": %s, \"query\": %s, \"total\": %d, \"median_ms\": %.4f, \"p99_ms\": %.4f}%n",
                        json(cols[0]), json(cols[1]), total, pct(ms, 50), pct(ms, 99));
            }
        }
    }

    static int once(IndexSearcher s, Query q) throws IOException {
        int total = s.count(q);
        TopDocs top = s.search(q, 10);
        for (ScoreDoc d : top.scoreDocs) s.doc(d.doc);
        return total;
    }

    static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }
}
