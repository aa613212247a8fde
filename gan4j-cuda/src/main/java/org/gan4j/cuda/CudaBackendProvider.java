package org.gan4j.cuda;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.gan4j.tensor.Backend;
import org.gan4j.tensor.BackendProvider;
import org.gan4j.tensor.BackendUnavailableException;

/**
 * Starts the CUDA backend: driver, device, primary context, stream, NVRTC and cuBLAS. Any
 * failure becomes one line saying which library or call failed. GAN4J_CUDA_DEVICE picks the GPU
 * (default 0); GAN4J_CUDA_TF32=1 lets cuBLAS use TF32 tensor cores (off by default: full float32).
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Backend create() {
        return start(NativeLibrary.searchPath(), ordinal(), "1".equals(System.getenv("GAN4J_CUDA_TF32")),
                Kernels.defaultCacheDir());
    }

    static CudaBackend start(List<Path> searchPath, int ordinal, boolean tf32, Path kernelCache) {
        Driver driver = new Driver(searchPath);
        try {
            driver.init();
            int count = driver.deviceCount();
            if (ordinal >= count) {
                throw new BackendUnavailableException(count == 0 ? "no CUDA device found by " + driver.file()
                        : "GAN4J_CUDA_DEVICE=" + ordinal + " but only " + count + " CUDA device(s) found");
            }
            int device = driver.device(ordinal);
            MemorySegment context = driver.primaryContext(device);
            driver.setCurrent(context);
            MemorySegment stream = driver.createStream();
            Nvrtc nvrtc = new Nvrtc(searchPath);
            Cublas cublas = new Cublas(searchPath, stream, tf32);
            return new CudaBackend(driver, cublas, nvrtc, context, stream, driver.deviceName(device),
                    driver.computeCapability(device), kernelCache);
        } catch (IllegalStateException e) {
            throw new BackendUnavailableException(driver.file() + ": " + e.getMessage(), e);
        }
    }

    private static int ordinal() {
        String env = System.getenv("GAN4J_CUDA_DEVICE");
        if (env == null || env.isBlank()) return 0;
        try {
            int ordinal = Integer.parseInt(env.trim());
            if (ordinal >= 0) return ordinal;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BackendUnavailableException("GAN4J_CUDA_DEVICE must be a device number (0, 1, ...), got '" + env + "'");
    }
}
