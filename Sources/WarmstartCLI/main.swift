// The library picks the OpenBLAS kernel and thread count on first use (`MathThreads`).
Warmstart.main()
