// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, found through pkg-config).
#include <cblas.h>

// OpenBLAS extensions (not in cblas.h on every version).
char *openblas_get_corename(void);

// mallopt, to keep step-sized buffers on the heap (see Autograd/Tensor.swift).
#include <malloc.h>

// OpenBLAS DYNAMIC_ARCH: forget and re-pick the kernel (reads OPENBLAS_CORETYPE),
// so a library can choose a kernel in-process before its first product.
void gotoblas_dynamic_init(void);
void gotoblas_dynamic_quit(void);

// LAPACK (in OpenBLAS): eigenvalues and eigenvectors of a symmetric matrix.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info);
