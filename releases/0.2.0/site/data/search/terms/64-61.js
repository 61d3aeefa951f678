NC.data("search/terms/64-61",{"date":[190],"day":[144],"days":[185]});
