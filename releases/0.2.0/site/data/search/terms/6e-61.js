NC.data("search/terms/6e-61",{"nation":[78,102,275],"national":[139,182],"nature":[52,112,126,273]});
