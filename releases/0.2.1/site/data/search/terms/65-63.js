NC.data("search/terms/65-63",{"economy":[132,276]});
