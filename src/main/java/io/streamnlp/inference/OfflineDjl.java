package io.streamnlp.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.lang.reflect.Field;

/**
 * Keeps DJL from touching the network, and from probing for CUDA. DJL reports usage and may
 * download native libraries or models unless told not to; the encoders and natives ship inside
 * Maven artifacts, so every call out would only slow startup or fail on a closed network. The
 * application sets this itself (not only the launch scripts) so an embedded use of the library is
 * offline too.
 *
 * <p>CUDA: StreamNLP runs ONNX Runtime's CPU build, so a GPU is never used. DJL still asks the CUDA
 * runtime for GPUs whenever it detects the platform (the tokenizers' native library does, on every
 * start): {@code CudaUtils} loads {@code libcudart} through JNA when it is on the loader path, and
 * on a machine with a CUDA toolkit but no usable driver every question logs "Failed to detect GPU
 * count: CUDA driver version is insufficient" at WARN. {@code CudaUtils} loads the library once, in
 * its static initializer, unless DJL's switch {@code ai.djl.util.cuda.fork} is on (then it would ask
 * a child JVM instead). So: switch on, initialize {@code CudaUtils} (no library loaded), switch off
 * again (no child either); without a library, DJL answers "no GPU" to every later question.
 *
 * <p>The ONNX Runtime engine has a probe of its own: the first time DJL needs the engine's default
 * device (its system NDManager does, even when every model is loaded on the CPU), it tries to add
 * the CUDA execution provider to a session, which the CPU build refuses with a WARN ("CUDA is not
 * supported OnnxRuntime engine"). DJL caches the answer in the engine and has no setting for it, so
 * {@link #cpuEngine} gives the engine its answer (the CPU) before anything asks. Both are checked by
 * {@code OfflineDjlTest} for the DJL version on the classpath.
 */
public final class OfflineDjl {

    static final String CUDA_FORK = "ai.djl.util.cuda.fork";
    static final String CUDA_UTILS = "ai.djl.util.cuda.CudaUtils";

    private OfflineDjl() {}

    /** Idempotent; call before the first DJL class is used. */
    public static synchronized void configure() {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        // CPU build of the tokenizers' native library: never look for a CUDA flavour to download.
        setIfAbsent("RUST_FLAVOR", "cpu");
        noCudaProbe();
    }

    /**
     * Initializes DJL's {@code CudaUtils} without its CUDA library (see the class comment). Leaves
     * DJL alone when someone set {@code ai.djl.util.cuda.fork} themselves.
     */
    private static void noCudaProbe() {
        if (System.getProperty(CUDA_FORK) != null) {
            return;
        }
        System.setProperty(CUDA_FORK, "true");
        try {
            Class.forName(CUDA_UTILS, true, OfflineDjl.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // No DJL on the classpath (or a broken one): nothing to keep quiet.
        } finally {
            System.clearProperty(CUDA_FORK);
        }
    }

    /**
     * The DJL engine {@code name}, its default device set to the CPU before anything asks it to
     * probe for CUDA (see the class comment). Where this DJL keeps the default device elsewhere,
     * the engine is returned as it is (and may probe, with its warning).
     */
    public static Engine cpuEngine(String name) {
        configure();
        Engine engine = Engine.getEngine(name);
        try {
            Field defaultDevice = Engine.class.getDeclaredField("defaultDevice");
            defaultDevice.setAccessible(true);
            synchronized (engine) {
                if (defaultDevice.get(engine) == null) {
                    defaultDevice.set(engine, Device.cpu());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException otherDjl) {
            // Leave the engine alone: at worst its one-line warning.
        }
        return engine;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
