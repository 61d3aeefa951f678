NC.data("search/terms/31-37",{"170":[55,120,211,275]});
