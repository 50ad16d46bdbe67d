package io.streamnlp.heads;

/**
 * Principal components of (already standardised) encoder states, for the NER head's optional input
 * projection: the states are projected onto the top components and scaled to unit variance, which
 * shrinks the head's first layer (and its cost per word) several times. Deterministic: covariance in
 * double precision, eigenvectors by cyclic Jacobi rotations.
 */
public final class Pca {

    private Pca() {}

    /**
     * @param states flat {@code [n x dim]}, zero-mean per dimension
     * @return {@code [dim][components]}: z = s . P gives whitened component scores
     */
    public static float[][] fit(float[] states, int n, int dim, int components) {
        double[][] cov = new double[dim][dim];
        float[] row = new float[dim];
        for (int w = 0; w < n; w++) {
            System.arraycopy(states, w * dim, row, 0, dim);
            for (int a = 0; a < dim; a++) {
                double va = row[a];
                if (va == 0) {
                    continue;
                }
                double[] ca = cov[a];
                for (int b = a; b < dim; b++) {
                    ca[b] += va * row[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
        }
        double[][] vectors = new double[dim][dim];
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[dim];
        for (int i = 0; i < dim; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            int c = Double.compare(values[y], values[x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        float[][] projection = new float[dim][components];
        for (int c = 0; c < components; c++) {
            int k = order[c];
            double scale = 1.0 / Math.sqrt(Math.max(values[k], 1e-12));
            // Fix the sign so the result does not depend on rotation order details.
            double sign = 0;
            for (int d = 0; d < dim && sign == 0; d++) {
                sign = Math.signum(vectors[d][k]);
            }
            for (int d = 0; d < dim; d++) {
                projection[d][c] = (float) (vectors[d][k] * scale * (sign < 0 ? -1 : 1));
            }
        }
        return projection;
    }

    /** Eigenvalues of the symmetric matrix {@code a} (destroyed); eigenvectors into the columns of {@code v}. */
    public static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-22) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    /** Projects flat {@code [n x dim]} states to flat {@code [n x components]}. */
    public static float[] project(float[] states, int n, int dim, float[][] projection) {
        int p = projection[0].length;
        float[] out = new float[n * p];
        float[] z = new float[p];
        for (int w = 0; w < n; w++) {
            java.util.Arrays.fill(z, 0f);
            int o = w * dim;
            for (int d = 0; d < dim; d++) {
                float a = states[o + d];
                if (a != 0f) {
                    Mlp.axpy(z, a, projection[d]);
                }
            }
            System.arraycopy(z, 0, out, w * p, p);
        }
        return out;
    }
}
