package com.acme.streamctl.testjob;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Gauge;

/**
 * Keyed, stateful enrichment: counts orders per customer in keyed state (so savepoints carry
 * something to restore) and, depending on the mode, fails like real user code does.
 *
 * <p>Metrics (operator scope, readable over REST): {@code ordersCountMax} is the largest per-customer
 * count this subtask has written; {@code restoredCountMax} is the largest count it found already in
 * state when it first saw a customer in this attempt (0 on a fresh start, &gt; 0 after a restore).
 */
public class Enrich extends RichMapFunction<Tuple2<String, Long>, String> {
    private static final long serialVersionUID = 1L;

    private final String mode;
    private final long failAfter;
    private final String endpoint;

    private transient ValueState<Long> count;
    private transient Map<String, String> regions;
    private transient Map<String, Boolean> seen;
    private transient long processed;
    private transient long countMax;
    private transient long restoredMax;
    private transient Socket socket;
    private transient OutputStream out;

    public Enrich(String mode, long failAfter, String endpoint) {
        this.mode = mode;
        this.failAfter = failAfter;
        this.endpoint = endpoint;
    }

    @Override
    public void open(OpenContext ctx) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("orders-per-customer", Long.class));
        regions = new HashMap<>();
        for (int c = 0; c < 8; c++) regions.put("customer-" + c, c % 2 == 0 ? "eu-west" : "us-east");
        seen = new HashMap<>();
        getRuntimeContext().getMetricGroup().gauge("ordersCountMax", (Gauge<Long>) () -> countMax);
        getRuntimeContext().getMetricGroup().gauge("restoredCountMax", (Gauge<Long>) () -> restoredMax);
    }

    @Override
    public String map(Tuple2<String, Long> order) throws Exception {
        Long previous = count.value();
        long before = previous == null ? 0L : previous;
        if (seen.put(order.f0, Boolean.TRUE) == null) restoredMax = Math.max(restoredMax, before);
        long now = before + 1;
        count.update(now);
        countMax = Math.max(countMax, now);
        processed++;

        String customer = order.f0;
        if (mode.equals("user-error") && processed > failAfter) {
            // The bug: a lookup keyed by the wrong field returns null and is dereferenced.
            customer = "order-" + order.f1;
        }
        String region = regions.get(customer);
        String line = customer + "," + region.toUpperCase() + "," + now + "\n";

        if (mode.equals("external")) send(line);
        return line;
    }

    private void send(String line) throws IOException {
        if (socket == null) {
            String[] hp = endpoint.split(":");
            Socket s = new Socket();
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 2000);
            socket = s;
            out = s.getOutputStream();
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        if (socket != null) socket.close();
    }
}
