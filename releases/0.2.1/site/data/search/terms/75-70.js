NC.data("search/terms/75-70",{"up":[59,96,262,279]});
