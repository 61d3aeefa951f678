NC.data("search/terms/70-65",{"peaceful":[164,272],"peak":[55,120,211],"people":[44,51,54,218,236,274,275],"period":[135]});
