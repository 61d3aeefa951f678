NC.data("search/terms/65-72",{"era":[142],"erupted":[209,276]});
