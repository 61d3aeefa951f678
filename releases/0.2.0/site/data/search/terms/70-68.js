NC.data("search/terms/70-68",{"phase":[48,62,272,275,276]});
