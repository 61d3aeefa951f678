NC.data("search/terms/63-69",{"circles":[215,245,276]});
