NC.data("search/terms/6f-72",{"ordered":[37,41,66,115,128,267,276],"organization":[31,137,169,251,272]});
