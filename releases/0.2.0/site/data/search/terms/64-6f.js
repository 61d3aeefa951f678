NC.data("search/terms/64-6f",{"donald":[17,66,115,267,276]});
