package io.streamnlp.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamnlp.inference.Encoder;
import io.streamnlp.inference.EncoderSpec;
import io.streamnlp.inference.TokenizedText;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the encoder's own time goes: ONNX Runtime's profiler over real batches of the review mix,
 * the kernel time summed per operator type of the optimized graph (what fused shows in the names:
 * {@code Attention}, {@code SkipLayerNormalization}, {@code DynamicQuantizeMatMul}...). The graph
 * runs in a session of its own with the encoder's session options plus profiling.
 */
final class EncoderProfile {

    private EncoderProfile() {}

    /** Share of kernel time per operator type, largest first. */
    static Map<String, Double> byOperator(EncoderSpec spec, List<TokenizedText> tokens, int batchSize, int threads, int batches)
            throws Exception {
        byte[] graph;
        try (InputStream in = spec.openGraph()) {
            graph = in.readAllBytes();
        }
        Path dir = Files.createTempDirectory("streamnlp-ort-profile");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path profile;
        try (OrtSession.SessionOptions options = Encoder.sessionOptions(threads)) {
            options.enableProfiling(dir.resolve("encoder").toString());
            try (OrtSession session = env.createSession(graph, options)) {
                for (int b = 0; b < batches && b * batchSize < tokens.size(); b++) {
                    List<TokenizedText> batch = tokens.subList(b * batchSize, Math.min(tokens.size(), (b + 1) * batchSize));
                    run(env, session, batch);
                }
                profile = Path.of(session.endProfiling());
            }
        }
        Map<String, Long> micros = new HashMap<>();
        JsonNode events = new ObjectMapper().readTree(profile.toFile());
        for (JsonNode event : events) {
            if ("Node".equals(event.path("cat").asText()) && event.path("name").asText().endsWith("_kernel_time")) {
                micros.merge(event.path("args").path("op_name").asText("?"), event.path("dur").asLong(), Long::sum);
            }
        }
        Files.deleteIfExists(profile);
        Files.deleteIfExists(dir);
        double total = micros.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), e.getValue() / total));
        return shares;
    }

    /** One batch padded to its longest text, as the encoder feeds it (ids, mask, token types if the graph takes them). */
    private static void run(OrtEnvironment env, OrtSession session, List<TokenizedText> batch) throws Exception {
        int longest = batch.stream().mapToInt(TokenizedText::length).max().orElse(1);
        long[][] ids = new long[batch.size()][longest];
        long[][] mask = new long[batch.size()][longest];
        long[][] types = new long[batch.size()][longest];
        for (int i = 0; i < batch.size(); i++) {
            long[] t = batch.get(i).ids();
            System.arraycopy(t, 0, ids[i], 0, t.length);
            java.util.Arrays.fill(mask[i], 0, t.length, 1L);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
            }
            session.run(inputs).close();
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** "MatMulInteger 41 %, Attention 22 %, ..." (the largest {@code top}, the rest summed). */
    static String describe(Map<String, Double> shares, int top) {
        StringBuilder out = new StringBuilder();
        double rest = 0;
        int i = 0;
        for (Map.Entry<String, Double> e : shares.entrySet()) {
            if (i++ < top) {
                out.append(out.isEmpty() ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue()));
            } else {
                rest += e.getValue();
            }
        }
        return rest > 0 ? out + String.format(java.util.Locale.ROOT, ", other %.0f %%", 100 * rest) : out.toString();
    }
}
