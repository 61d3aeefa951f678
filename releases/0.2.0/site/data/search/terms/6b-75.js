NC.data("search/terms/6b-75",{"kurdish":[24,156,273]});
