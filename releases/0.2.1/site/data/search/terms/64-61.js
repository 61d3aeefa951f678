NC.data("search/terms/64-61",{"date":[101],"day":[144],"days":[192]});
