// expect: 5:38: error: loss(model->steps) has type 'int'; expected a double or float the function writes (or a pointer to one)
/* The loss is a double or a float. */
struct Model { double w; int steps; };
void f(struct Model *model) { model->steps = (int)(model->w * 3); }
#pragma vgrad value_and_grad(f) loss(model->steps)
