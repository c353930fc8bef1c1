package com.acme.streamctl.testjob;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The streamctl test job ("orders-enricher"): a rate-limited generator of orders, keyed by
 * customer, through a keyed stateful Enrich map, into a discarding sink. Program arguments:
 *
 * <pre>
 *   --mode healthy | user-error | external | fail-in-main   (default healthy)
 *   --version vN              labels the job name, "orders-enricher vN"
 *   --rate N                  orders per second (default 20)
 *   --fail-after N            user-error: Enrich throws an NPE after N records per attempt (default 50)
 *   --endpoint host:port      external: Enrich writes every order to this TCP endpoint
 *   --checkpoint-interval-ms  (default 2000)
 *   --checkpoint-dir URI      overrides the cluster's state.checkpoints.dir
 * </pre>
 *
 * Every mode is a real failure mode: user-error is a code bug (a fail-and-restart loop that only
 * a code change fixes), external is an external system being down (ConnectException, recovers by
 * itself when the endpoint listens again), fail-in-main fails before execute() so /jars/:id/run
 * reports the error.
 */
public final class OrdersJob {
    private OrdersJob() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parse(argv);
        String mode = args.getOrDefault("mode", "healthy");
        String version = args.getOrDefault("version", "v1");
        if (!mode.equals("healthy") && !mode.equals("user-error") && !mode.equals("external") && !mode.equals("fail-in-main")) {
            throw new IllegalArgumentException("unknown --mode " + mode);
        }
        if (mode.equals("fail-in-main")) {
            // A typical packaging/configuration bug: the job cannot even build its graph.
            throw new IllegalStateException("orders-enricher " + version + ": required option --orders-topic is missing");
        }
        String endpoint = args.get("endpoint");
        if (mode.equals("external") && endpoint == null) {
            throw new IllegalArgumentException("--mode external needs --endpoint host:port");
        }
        long rate = Long.parseLong(args.getOrDefault("rate", "20"));
        long failAfter = Long.parseLong(args.getOrDefault("fail-after", "50"));
        long interval = Long.parseLong(args.getOrDefault("checkpoint-interval-ms", "2000"));

        Configuration conf = new Configuration();
        if (args.containsKey("checkpoint-dir")) {
            conf.setString("execution.checkpointing.dir", args.get("checkpoint-dir"));
            conf.setString("state.checkpoint-storage", "filesystem");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(interval);

        GeneratorFunction<Long, Tuple2<String, Long>> orders = seq -> Tuple2.of("customer-" + (seq % 8), seq);
        DataGeneratorSource<Tuple2<String, Long>> source = new DataGeneratorSource<>(
                orders, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.TUPLE(Types.STRING, Types.LONG));

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders-source")
                .uid("orders-source")
                .keyBy(order -> order.f0)
                .map(new Enrich(mode, failAfter, endpoint))
                .name("Enrich")
                .uid("enrich")
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .uid("discard");

        env.execute("orders-enricher " + version);
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String key = a.substring(2);
            String value = i + 1 < argv.length && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
            out.put(key, value);
        }
        return out;
    }
}
