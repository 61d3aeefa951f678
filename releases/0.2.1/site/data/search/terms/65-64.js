NC.data("search/terms/65-64",{"education":[132,250,276]});
