package io.streamnlp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/**
 * DJL never asks the CUDA runtime (no libcudart loaded, so no "Failed to detect GPU count" warning
 * on a machine with a CUDA toolkit and no driver), never forks a child JVM to ask for it either, and
 * the ONNX Runtime engine never tries its CUDA provider ("CUDA is not supported" warning). These
 * rest on DJL internals (a static initializer, a cached field): this test is what notices when an
 * upgrade moves them.
 */
class OfflineDjlTest {

    @Test
    void djlAnswersNoGpuWithoutLoadingCudaOrForking() throws Exception {
        OfflineDjl.configure();
        assertThat(System.getProperty(OfflineDjl.CUDA_FORK)).as("the fork switch is off again").isNull();
        Field library = CudaUtils.class.getDeclaredField("LIB");
        library.setAccessible(true);
        assertThat(library.get(null)).as("libcudart not loaded").isNull();
        long started = System.nanoTime();
        assertThat(CudaUtils.getGpuCount()).isZero();
        assertThat(CudaUtils.hasCuda()).isFalse();
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms: answered in process, no child JVM").isLessThan(200);
        OfflineDjl.configure(); // idempotent
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void theOnnxRuntimeEngineIsPinnedToTheCpuBeforeItCanProbeForCuda() throws Exception {
        Engine engine = OfflineDjl.cpuEngine(Encoder.ENGINE);
        Field cached = Engine.class.getDeclaredField("defaultDevice");
        cached.setAccessible(true);
        assertThat(cached.get(engine)).as("DJL's cached default device, set before anything asked").isEqualTo(Device.cpu());
        assertThat(engine.defaultDevice()).isEqualTo(Device.cpu());
    }
}
