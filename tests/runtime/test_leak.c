/* test_leak.c: the ownership rule under load.  The natural loss
 *
 *     vg_mean(vg_square(vg_sub(a, b)))
 *
 * called ITERS times (default 1,000,000) with vg_free(result) each time, then
 * a hand-written reverse sweep ITERS/10 times, must end with exactly the
 * arrays it started with.  tests/runtime/run.sh also runs this program under
 * AddressSanitizer (detect_leaks=1) and valgrind --leak-check=full, and runs
 * it with --plant-leak (one array never freed) to show those tools would
 * notice a leak. */
#include <stdlib.h>

#include "test_util.h"

static vg_array *loss(vg_array *a, vg_array *b) { return vg_mean(vg_square(vg_sub(a, b))); }

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 1000000;
  bool plant = argc > 2 && strcmp(argv[2], "--plant-leak") == 0;
  char name[64];
  long base = vg_live_arrays();
  vg_array *a = vg_from_f64((double[]){1, 2, 3, 4, 5, 6, 7, 8}, 2, (int[]){4, 2});
  vg_array *b = vg_from_f64((double[]){1, 1, 1, 1, 1, 1, 1, 1}, 2, (int[]){4, 2});
  if (plant) vg_keep(vg_neg(a)); /* deliberately never freed */

  /* mean of (0..7)^2 = 140 / 8 = 17.5 */
  double total = 0;
  for (long i = 0; i < iters; i++) {
    vg_array *l = loss(a, b);
    total += vg_item(l);
    vg_free(l);
  }
  snprintf(name, sizeof name, "leak_loss_%ld_calls", iters);
  check(total == 17.5 * (double)iters && vg_live_arrays() == base + 2 + plant, name,
        "total %.17g, %ld arrays alive", total, vg_live_arrays() - base);

  /* Forward with kept intermediates, reverse sweep, free everything. */
  bool grads_ok = true;
  for (long i = 0; i < iters / 10; i++) {
    vg_array *d = vg_keep(vg_sub(a, b));
    vg_array *s = vg_keep(vg_square(d));
    vg_array *L = vg_mean(s);
    vg_array *seed = vg_scalar(1), *g_s = NULL, *g_d = NULL, *g_a = NULL, *g_b = NULL;
    vg_mean_vjp(s, L, seed, &g_s);
    vg_square_vjp(d, s, g_s, &g_d);
    vg_sub_vjp(a, b, d, g_d, &g_a, &g_b);
    /* dL/da = 2 (a - b) / 8 */
    grads_ok = grads_ok && vg_data_f64(g_a)[7] == 1.75 && vg_data_f64(g_b)[7] == -1.75;
    vg_array *all[] = {d, s, L, seed, g_s, g_d, g_a, g_b};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) vg_free(all[k]);
  }
  snprintf(name, sizeof name, "leak_reverse_sweep_%ld_times", iters / 10);
  check(grads_ok && vg_live_arrays() == base + 2 + plant, name, "%ld arrays alive",
        vg_live_arrays() - base);
  vg_free(a);
  vg_free(b);
  return finish();
}
