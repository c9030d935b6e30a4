// expect: 5:45: error: loss(model->mean): 'struct Model' has no member named 'mean'
/* loss(p->m): m must be a member of *p. */
struct Model { double w, mean_loss; };
void f(struct Model *model) { model->mean_loss = model->w * model->w; }
#pragma vgrad value_and_grad(f) loss(model->mean)
