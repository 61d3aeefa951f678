NC.data("search/terms/75-70",{"up":[55,95,257,275]});
