# gmm_plot.awk: gradient/primal ratios of the GMM sizes, for gnuplot.
#   awk -F'\t' -v dat=FILE.dat -v csv=FILE.csv -f gmm_plot.awk build/rows.tsv
# dat has two blocks (index 0: n = 1000, index 1: n = 10000), one line per
# size sorted by parameter count: params vgradcc adolc_tape adolc_reuse torch_grad.
# Prints "column name has_10k" for each method that has a point.

BEGIN { nm = split("vgradcc adolc_tape adolc_reuse torch_grad", methods, " ") }

$1 == "gmm" {
  if (!($2 in params)) { sizes[++ns] = $2; params[$2] = $3 }
  t[$2, $4] = $5
}

function ratio(size, m) {
  if (t[size, m] == "" || t[size, m] == "NA" || t[size, "primal"] == "" || t[size, "primal"] == "NA")
    return "NA"
  return sprintf("%.4g", t[size, m] / t[size, "primal"])
}

END {
  print "size,n,params,vgradcc,adolc_tape,adolc_reuse,torch_grad" > csv
  for (block = 0; block < 2; block++) {
    prefix = block ? "10k_" : "1k_"
    # insertion sort of this block's sizes by parameter count
    nb = 0
    for (i = 1; i <= ns; i++)
      if (index(sizes[i], prefix) == 1) {
        s = sizes[i]
        for (j = ++nb; j > 1 && params[list[j - 1]] + 0 > params[s] + 0; j--)
          list[j] = list[j - 1]
        list[j] = s
      }
    if (block) printf "\n\n" > dat
    blocks[block] = nb
    printf "# %s params vgradcc adolc_tape adolc_reuse torch_grad\n", prefix > dat
    for (j = 1; j <= nb; j++) {
      s = list[j]
      line = params[s]
      cline = s "," (block ? 10000 : 1000) "," params[s]
      for (k = 1; k <= nm; k++) {
        line = line " " ratio(s, methods[k])
        cline = cline "," ratio(s, methods[k])
        if (ratio(s, methods[k]) != "NA") have[methods[k]] = 1
      }
      print line > dat
      print cline > csv
    }
  }
  # for the plot script: the methods with at least one point (column and
  # name), and whether there are 10k sizes
  for (k = 1; k <= nm; k++)
    if (have[methods[k]]) printf "%d %s %d\n", k + 1, methods[k], (blocks[1] > 0)
}
