// expect: 6:5: error: 'goto inside' jumps into a block: label 'inside' on line 10 is inside a statement (a block, a branch, a loop or another case of a switch) that does not contain the goto; move the label out to the block that holds the goto or one around it
/* A goto into a nested block. */
double into_block(double x, int n) {
  double y = x;
  if (n > 2)
    goto inside;
  for (int i = 0; i < n; i++) {
    y = y * x;
    if (y > 4) {
    inside:
      y = y * 0.5;
    }
  }
  return y;
}
#pragma vgrad value_and_grad(into_block)
