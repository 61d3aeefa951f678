NC.data("search/terms/73-6d",{"smoke":[92,232]});
