NC.data("search/terms/6a-6f",{"joe":[2,34,35,272,273,274,275,276],"joint":[276]});
