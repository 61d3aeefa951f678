NC.data("search/terms/66-75",{"fuad":[15,192]});
