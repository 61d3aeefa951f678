NC.data("search/terms/65-63",{"economy":[134,272]});
