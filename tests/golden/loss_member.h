/* loss_member.h: the model of loss_member.c, shared with its generated header. */
#ifndef LOSS_MEMBER_H
#define LOSS_MEMBER_H

#ifndef REAL
#define REAL double
#endif

struct Model {
  REAL w[2];
  REAL bias;
  REAL mean_loss;
};

#endif
