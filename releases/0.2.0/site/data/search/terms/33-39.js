NC.data("search/terms/33-39",{"39":[55,120]});
