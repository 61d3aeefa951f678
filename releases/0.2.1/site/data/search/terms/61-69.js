NC.data("search/terms/61-69",{"aimed":[106,227,257,259,276],"air":[93]});
