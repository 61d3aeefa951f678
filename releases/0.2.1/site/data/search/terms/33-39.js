NC.data("search/terms/33-39",{"39":[59,120]});
