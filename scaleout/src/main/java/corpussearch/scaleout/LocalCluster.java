package corpussearch.scaleout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;
import org.opensearch.transport.TransportService;

/**
 * An N-node OpenSearch cluster on loopback, all nodes in this one JVM, for trying
 * corpus-search with an engine URL and for its tests. Each node is a real node of the server
 * of the server, its plugins given on the class path as the test framework's MockNode does, with the netty4 HTTP and
 * transport layers and the analysis-common plugin (cjk_width, cjk_bigram). Node 0 bootstraps
 * the cluster; the others find it through its transport address and join.
 *
 * <p>Usage: {@code LocalCluster --nodes N --dir DIR}. Data goes to DIR/node-I. When the
 * cluster is green with N nodes, the URL of node 0's HTTP layer is written to DIR/url (by a
 * rename, so a reader never sees half of it) and printed. The process runs until it is
 * killed; a shutdown hook closes the nodes.
 */
public final class LocalCluster {
    private LocalCluster() {}

    public static void main(String[] args) throws Exception {
        int nodes = 2;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: LocalCluster [--nodes N] --dir DIR");
                    System.exit(2);
                }
            }
        }
        if (dir == null || nodes < 1) {
            System.err.println("usage: LocalCluster [--nodes N] --dir DIR (N >= 1)");
            System.exit(2);
        }
        long started = System.nanoTime();
        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);
        List<Node> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running)));
        String seed = null;
        for (int i = 0; i < nodes; i++) {
            Path home = dir.resolve("node-" + i);
            Files.createDirectories(home.resolve("config"));
            Settings.Builder settings = Settings.builder()
                .put("cluster.name", "corpus-search-local")
                .put("node.name", "node-" + i)
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", "0")
                .put("transport.port", "0")
                // A busy test disk must not stop replicas from being placed.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("cluster.initial_cluster_manager_nodes", "node-0")
                // The nodes share the JVM and two cores: keep their thread pools small.
                .put("node.processors", 1);
            if (seed != null) {
                settings.putList("discovery.seed_hosts", seed);
            }
            Node node = new LocalNode(settings.build(), plugins);
            node.start();
            running.add(node);
            if (seed == null) {
                TransportAddress transport = node.injector().getInstance(TransportService.class)
                    .boundAddress().publishAddress();
                seed = transport.getAddress() + ":" + transport.getPort();
            }
        }
        Node first = running.get(0);
        var health = first.client().admin().cluster().prepareHealth()
            .setWaitForNodes(Integer.toString(nodes))
            .setWaitForStatus(ClusterHealthStatus.GREEN)
            .setTimeout(TimeValue.timeValueMinutes(2))
            .get();
        if (health.isTimedOut()) {
            System.err.println("the cluster did not come up: " + health.getNumberOfNodes() + " of " + nodes + " nodes, " + health.getStatus());
            closeAll(running);
            System.exit(1);
        }
        TransportAddress http = first.injector().getInstance(HttpServerTransport.class)
            .boundAddress().publishAddress();
        String url = "http://" + http.getAddress() + ":" + http.getPort() + "/";
        Path tmp = dir.resolve("url.tmp");
        Files.writeString(tmp, url + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("url"), StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("%d node(s) up in %.1f s at %s%n", nodes, (System.nanoTime() - started) / 1e9, url);
        System.out.flush();
        stopNodesOnRequest(dir, running);
        new CountDownLatch(1).await();
    }

    /**
     * Stops node I when the file DIR/stop-node-I appears (`local-cluster stop-node I`), for
     * the tests of a node going away during a load; DIR/node-I-stopped says it is done.
     */
    private static void stopNodesOnRequest(Path dir, List<Node> running) {
        List<Node> nodes = List.copyOf(running);
        Thread watcher = new Thread(() -> {
            boolean[] stopped = new boolean[nodes.size()];
            while (true) {
                for (int i = 0; i < nodes.size(); i++) {
                    if (!stopped[i] && Files.exists(dir.resolve("stop-node-" + i))) {
                        try {
                            nodes.get(i).close();
                            synchronized (LocalCluster.class) {
                                running.remove(nodes.get(i));
                            }
                            Files.writeString(dir.resolve("node-" + i + "-stopped"), "");
                        } catch (IOException | RuntimeException e) {
                            System.err.println("stopping node-" + i + ": " + e);
                        }
                        stopped[i] = true;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stop-nodes-on-request");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static synchronized void closeAll(List<Node> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (IOException | RuntimeException e) {
                System.err.println("closing node-" + i + ": " + e);
            }
        }
        nodes.clear();
    }

    /** A node whose plugins come from the class path rather than a plugins folder. */
    private static final class LocalNode extends Node {
        LocalNode(Settings settings, List<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "local"), plugins, true);
        }
    }
}
