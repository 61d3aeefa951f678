NC.data("search/terms/64-75",{"during":[132,200]});
