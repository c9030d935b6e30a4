/* The pragma comes from the command line: vgradcc -D'MARK=_Pragma("vgrad
 * grad(twice))"' (cli/pragma-from-D); without it the file marks nothing. */
double twice(double x) { return 2 * x * x; }

#ifdef MARK
MARK
#endif
