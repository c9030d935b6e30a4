// expect: 6:40: error: custom_jvp(lib_mix): 'lib_mix_jvp' does not have the signature of the rule for 'lib_mix'; expected 'float lib_mix_jvp(float a, const float *b, float t_a, const float *t_b, float *t_ret)'
/* A forward rule whose tangent types do not follow the values (double
 * where the function takes float). */
float lib_mix(float a, const float *b);
float lib_mix_jvp(float a, const float *b, double t_a, const float *t_b, float *t_ret);
#pragma vgrad custom_jvp(lib_mix) with(lib_mix_jvp)

float custom_jvp_signature(float a, const float *b) { return lib_mix(a, b); }
#pragma vgrad jvp(custom_jvp_signature) argnums(all)
