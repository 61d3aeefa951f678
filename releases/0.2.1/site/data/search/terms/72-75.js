NC.data("search/terms/72-75",{"run":[96,262]});
