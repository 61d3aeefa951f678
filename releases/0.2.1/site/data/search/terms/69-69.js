NC.data("search/terms/69-69",{"ii":[25,69,276]});
