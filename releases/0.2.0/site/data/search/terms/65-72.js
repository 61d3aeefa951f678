NC.data("search/terms/65-72",{"era":[222],"erupted":[133,272]});
