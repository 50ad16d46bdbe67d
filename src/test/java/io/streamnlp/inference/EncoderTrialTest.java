package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's encoders pass the trial an own encoder gets at start ({@link EncoderTrial}). This is
 * why the start does not try them: what their entries say (hidden size, 512 positions, pooling) is
 * proved here, once per build, for the very files the release ships.
 */
class EncoderTrialTest {

    @Test
    void everyCatalogueEncoderPassesTheTrial() throws IOException, OrtException {
        OfflineDjl.configure();
        Engine.getEngine(Encoder.ENGINE); // DJL's engine makes the environment first, as at start
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        for (EncoderSpec spec : ModelCatalogue.inOrder()) {
            byte[] graph;
            try (InputStream in = ModelResources.open(spec.onnxResource())) {
                graph = in.readAllBytes();
            }
            List<String> problems = new ArrayList<>();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                    OrtSession session = environment.createSession(graph, options)) {
                CustomModel.checkInputs(session.getInputInfo(), problems);
                CustomModel.checkOutputs(session.getOutputInfo(), spec.dimension(), problems);
                assertThat(problems).as("%s: inputs and outputs", spec.name()).isEmpty();
                long started = System.nanoTime();
                EncoderTrial.run(session, spec, true, problems);
                System.out.printf("trial of %s: %d ms%n", spec.name(), (System.nanoTime() - started) / 1_000_000);
            }
            assertThat(problems).as("trial of %s", spec.name()).isEmpty();
        }
    }
}
