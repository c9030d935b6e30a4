/* The GPT-2 loss of bench/ref/gpt2.c (its layer functions, included)
 * with its tensors named as llm.c's train_gpt2.c names them: a
 * ParameterTensors struct whose members are pointed into the flat
 * parameter array, and an ActivationTensors struct whose members are
 * pointed into one malloc'd block, each through an array of pointers to
 * the members filled in a loop over the tensors' sizes
 * (fill_in_parameter_sizes, malloc_and_point_parameters); each layer's
 * slices taken from the members.  Our own code, differentiated as it is;
 * check.c compares its value and gradient with ref_gpt2_loss's (the same
 * model carved out by pointer arithmetic) and with central differences. */
#include "../../../bench/ref/gpt2.c"

#include <stddef.h>
#include <stdlib.h>

#define NUM_PARAMETER_TENSORS 16
typedef struct {
  REAL *wte;      /* (V, C) */
  REAL *wpe;      /* (maxT, C) */
  REAL *ln1w;     /* (L, C) */
  REAL *ln1b;     /* (L, C) */
  REAL *qkvw;     /* (L, 3*C, C) */
  REAL *qkvb;     /* (L, 3*C) */
  REAL *attprojw; /* (L, C, C) */
  REAL *attprojb; /* (L, C) */
  REAL *ln2w;     /* (L, C) */
  REAL *ln2b;     /* (L, C) */
  REAL *fcw;      /* (L, 4*C, C) */
  REAL *fcb;      /* (L, 4*C) */
  REAL *fcprojw;  /* (L, C, 4*C) */
  REAL *fcprojb;  /* (L, C) */
  REAL *lnfw;     /* (C) */
  REAL *lnfb;     /* (C) */
} ParameterTensors;

static void fill_in_parameter_sizes(size_t *param_sizes, int V, int maxT, int C, int L) {
  param_sizes[0] = (size_t)V * C;
  param_sizes[1] = (size_t)maxT * C;
  param_sizes[2] = (size_t)L * C;
  param_sizes[3] = (size_t)L * C;
  param_sizes[4] = (size_t)L * (3 * C) * C;
  param_sizes[5] = (size_t)L * (3 * C);
  param_sizes[6] = (size_t)L * C * C;
  param_sizes[7] = (size_t)L * C;
  param_sizes[8] = (size_t)L * C;
  param_sizes[9] = (size_t)L * C;
  param_sizes[10] = (size_t)L * (4 * C) * C;
  param_sizes[11] = (size_t)L * (4 * C);
  param_sizes[12] = (size_t)L * C * (4 * C);
  param_sizes[13] = (size_t)L * C;
  param_sizes[14] = (size_t)C;
  param_sizes[15] = (size_t)C;
}

/* the members of params pointed into params_memory, one tensor after another */
static void point_parameters(ParameterTensors *params, const size_t *param_sizes, REAL *params_memory) {
  REAL **ptrs[] = {&params->wte,      &params->wpe,  &params->ln1w, &params->ln1b, &params->qkvw,    &params->qkvb,
                   &params->attprojw, &params->attprojb, &params->ln2w, &params->ln2b, &params->fcw,
                   &params->fcb,      &params->fcprojw,  &params->fcprojb, &params->lnfw, &params->lnfb};
  REAL *params_memory_iterator = params_memory;
  for (size_t i = 0; i < NUM_PARAMETER_TENSORS; i++) {
    *(ptrs[i]) = params_memory_iterator;
    params_memory_iterator += param_sizes[i];
  }
}

#define NUM_ACTIVATION_TENSORS 23
typedef struct {
  REAL *encoded;   /* (B, T, C) */
  REAL *ln1;       /* (L, B, T, C) */
  REAL *ln1_mean;  /* (L, B, T) */
  REAL *ln1_rstd;  /* (L, B, T) */
  REAL *qkv;       /* (L, B, T, 3*C) */
  REAL *atty;      /* (L, B, T, C) */
  REAL *preatt;    /* (L, B, NH, T, T) */
  REAL *att;       /* (L, B, NH, T, T) */
  REAL *attproj;   /* (L, B, T, C) */
  REAL *residual2; /* (L, B, T, C) */
  REAL *ln2;       /* (L, B, T, C) */
  REAL *ln2_mean;  /* (L, B, T) */
  REAL *ln2_rstd;  /* (L, B, T) */
  REAL *fch;       /* (L, B, T, 4*C) */
  REAL *fch_gelu;  /* (L, B, T, 4*C) */
  REAL *fcproj;    /* (L, B, T, C) */
  REAL *residual3; /* (L, B, T, C) */
  REAL *lnf;       /* (B, T, C) */
  REAL *lnf_mean;  /* (B, T) */
  REAL *lnf_rstd;  /* (B, T) */
  REAL *logits;    /* (B, T, V) */
  REAL *probs;     /* (B, T, V) */
  REAL *losses;    /* (B, T) */
} ActivationTensors;

static void fill_in_activation_sizes(size_t *act_sizes, int B, int T, int C, int L, int NH, int V) {
  act_sizes[0] = (size_t)B * T * C;
  act_sizes[1] = (size_t)L * B * T * C;
  act_sizes[2] = (size_t)L * B * T;
  act_sizes[3] = (size_t)L * B * T;
  act_sizes[4] = (size_t)L * B * T * 3 * C;
  act_sizes[5] = (size_t)L * B * T * C;
  act_sizes[6] = (size_t)L * B * NH * T * T;
  act_sizes[7] = (size_t)L * B * NH * T * T;
  act_sizes[8] = (size_t)L * B * T * C;
  act_sizes[9] = (size_t)L * B * T * C;
  act_sizes[10] = (size_t)L * B * T * C;
  act_sizes[11] = (size_t)L * B * T;
  act_sizes[12] = (size_t)L * B * T;
  act_sizes[13] = (size_t)L * B * T * 4 * C;
  act_sizes[14] = (size_t)L * B * T * 4 * C;
  act_sizes[15] = (size_t)L * B * T * C;
  act_sizes[16] = (size_t)L * B * T * C;
  act_sizes[17] = (size_t)B * T * C;
  act_sizes[18] = (size_t)B * T;
  act_sizes[19] = (size_t)B * T;
  act_sizes[20] = (size_t)B * T * V;
  act_sizes[21] = (size_t)B * T * V;
  act_sizes[22] = (size_t)B * T;
}

static REAL *malloc_and_point_activations(ActivationTensors *acts, const size_t *act_sizes) {
  size_t num_activations = 0;
  for (size_t i = 0; i < NUM_ACTIVATION_TENSORS; i++)
    num_activations += act_sizes[i];
  REAL *acts_memory = malloc(num_activations * sizeof(REAL));
  REAL **ptrs[] = {&acts->encoded,  &acts->ln1,       &acts->ln1_mean, &acts->ln1_rstd, &acts->qkv,
                   &acts->atty,     &acts->preatt,    &acts->att,      &acts->attproj,  &acts->residual2,
                   &acts->ln2,      &acts->ln2_mean,  &acts->ln2_rstd, &acts->fch,      &acts->fch_gelu,
                   &acts->fcproj,   &acts->residual3, &acts->lnf,      &acts->lnf_mean, &acts->lnf_rstd,
                   &acts->logits,   &acts->probs,     &acts->losses};
  REAL *acts_memory_iterator = acts_memory;
  for (size_t i = 0; i < NUM_ACTIVATION_TENSORS; i++) {
    *(ptrs[i]) = acts_memory_iterator;
    acts_memory_iterator += act_sizes[i];
  }
  return acts_memory;
}

REAL tensors_gpt2_loss(int B, int T, int C, int V, int L, int NH, REAL *params_memory, const int *inputs,
                       const int *targets) {
  ParameterTensors params;
  size_t param_sizes[NUM_PARAMETER_TENSORS];
  fill_in_parameter_sizes(param_sizes, V, T, C, L);
  point_parameters(&params, param_sizes, params_memory);
  ActivationTensors acts;
  size_t act_sizes[NUM_ACTIVATION_TENSORS];
  fill_in_activation_sizes(act_sizes, B, T, C, L, NH, V);
  REAL *acts_memory = malloc_and_point_activations(&acts, act_sizes);

  encoder_forward(acts.encoded, inputs, params.wte, params.wpe, B, T, C);
  REAL *residual;
  for (int l = 0; l < L; l++) {
    residual = l == 0 ? acts.encoded : acts.residual3 + (l - 1) * B * T * C;
    REAL *l_ln1w = params.ln1w + l * C;
    REAL *l_ln1b = params.ln1b + l * C;
    REAL *l_qkvw = params.qkvw + l * 3 * C * C;
    REAL *l_qkvb = params.qkvb + l * 3 * C;
    REAL *l_attprojw = params.attprojw + l * C * C;
    REAL *l_attprojb = params.attprojb + l * C;
    REAL *l_ln2w = params.ln2w + l * C;
    REAL *l_ln2b = params.ln2b + l * C;
    REAL *l_fcw = params.fcw + l * 4 * C * C;
    REAL *l_fcb = params.fcb + l * 4 * C;
    REAL *l_fcprojw = params.fcprojw + l * C * 4 * C;
    REAL *l_fcprojb = params.fcprojb + l * C;
    REAL *l_ln1 = acts.ln1 + l * B * T * C;
    REAL *l_ln1_mean = acts.ln1_mean + l * B * T;
    REAL *l_ln1_rstd = acts.ln1_rstd + l * B * T;
    REAL *l_qkv = acts.qkv + l * B * T * 3 * C;
    REAL *l_atty = acts.atty + l * B * T * C;
    REAL *l_preatt = acts.preatt + l * B * NH * T * T;
    REAL *l_att = acts.att + l * B * NH * T * T;
    REAL *l_attproj = acts.attproj + l * B * T * C;
    REAL *l_residual2 = acts.residual2 + l * B * T * C;
    REAL *l_ln2 = acts.ln2 + l * B * T * C;
    REAL *l_ln2_mean = acts.ln2_mean + l * B * T;
    REAL *l_ln2_rstd = acts.ln2_rstd + l * B * T;
    REAL *l_fch = acts.fch + l * B * T * 4 * C;
    REAL *l_fch_gelu = acts.fch_gelu + l * B * T * 4 * C;
    REAL *l_fcproj = acts.fcproj + l * B * T * C;
    REAL *l_residual3 = acts.residual3 + l * B * T * C;

    layernorm_forward(l_ln1, l_ln1_mean, l_ln1_rstd, residual, l_ln1w, l_ln1b, B, T, C);
    matmul_forward(l_qkv, l_ln1, l_qkvw, l_qkvb, B, T, C, 3 * C);
    attention_forward(l_atty, l_preatt, l_att, l_qkv, B, T, C, NH);
    matmul_forward(l_attproj, l_atty, l_attprojw, l_attprojb, B, T, C, C);
    residual_forward(l_residual2, residual, l_attproj, B * T * C);
    layernorm_forward(l_ln2, l_ln2_mean, l_ln2_rstd, l_residual2, l_ln2w, l_ln2b, B, T, C);
    matmul_forward(l_fch, l_ln2, l_fcw, l_fcb, B, T, C, 4 * C);
    gelu_forward(l_fch_gelu, l_fch, B * T * 4 * C);
    matmul_forward(l_fcproj, l_fch_gelu, l_fcprojw, l_fcprojb, B, T, 4 * C, C);
    residual_forward(l_residual3, l_residual2, l_fcproj, B * T * C);
  }
  residual = acts.residual3 + (L - 1) * B * T * C;
  layernorm_forward(acts.lnf, acts.lnf_mean, acts.lnf_rstd, residual, params.lnfw, params.lnfb, B, T, C);
  matmul_forward(acts.logits, acts.lnf, params.wte, NULL, B, T, C, V);
  softmax_forward(acts.probs, acts.logits, B, T, V);
  crossentropy_forward(acts.losses, acts.probs, targets, B, T, V);
  REAL mean_loss = 0.0f;
  for (int i = 0; i < B * T; i++)
    mean_loss += acts.losses[i];
  mean_loss /= B * T;
  free(acts_memory);
  return mean_loss;
}
#pragma vgrad value_and_grad(tensors_gpt2_loss) argnames(params_memory)
/* and the same model as gpt2.c writes it, for check.c to compare with */
#pragma vgrad value_and_grad(ref_gpt2_loss) argnames(params)
