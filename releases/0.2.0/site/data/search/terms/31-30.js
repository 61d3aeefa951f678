NC.data("search/terms/31-30",{"10":[67,125]});
