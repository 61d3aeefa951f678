NC.data("search/terms/31-37",{"170":[59,120,133,279]});
