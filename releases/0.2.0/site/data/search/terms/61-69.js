NC.data("search/terms/61-69",{"aimed":[105,223,250,252,272],"air":[90]});
