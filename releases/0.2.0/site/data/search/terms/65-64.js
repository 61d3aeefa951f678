NC.data("search/terms/65-64",{"education":[134,244,272]});
