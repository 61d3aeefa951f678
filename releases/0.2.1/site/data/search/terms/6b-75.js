NC.data("search/terms/6b-75",{"kurdish":[24,136,161,277]});
