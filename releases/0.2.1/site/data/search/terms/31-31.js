NC.data("search/terms/31-31",{"11":[122,142,166]});
