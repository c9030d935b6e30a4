// expect: 7:48: error: parameter 'y' is both selected and in outputs(...); vjp takes the cotangent of what 'vjp_selected_output' leaves in it and returns the gradient w.r.t. what it held before the call, which vgradcc does not do for one parameter yet: copy the input into a parameter of its own
/* an output that is also a selected input (updated in place) */
void vjp_selected_output(double y[3], double a) {
  for (int i = 0; i < 3; i++)
    y[i] = a * y[i] * y[i];
}
#pragma vgrad vjp(vjp_selected_output) argnums(0, 1) outputs(y)
