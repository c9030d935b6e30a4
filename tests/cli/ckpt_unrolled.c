/* cli/ckpt-unrolled: `#pragma vgrad checkpoint` on a loop that indexes a
 * local array of pointers: vgradcc unrolls that loop (ad/pointer_tables.c),
 * so the pragma cannot take effect; a warning says so instead of dropping
 * it silently, and the file is still written. */
double pc(const double *a, const double *b, int n) {
  const double *rows[2] = {a, b};
  double s = 0;
#pragma vgrad checkpoint
  for (int r = 0; r < 2; r++)
    for (int i = 0; i < n; i++)
      s = s * 0.5 + rows[r][i] * rows[r][i];
  return s;
}
#pragma vgrad value_and_grad(pc) argnums(0, 1)
